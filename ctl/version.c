// SPDX-License-Identifier: GPL-2.0
/* Built with every link of clickupctl (Makefile): the version -V prints. */
#include "cmd.h"

const char clickupctl_version[] = CLICKUPCTL_VERSION;

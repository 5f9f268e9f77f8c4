# SPDX-License-Identifier: GPL-2.0
#
# Shared by the scripts in selftests/vm/: paths and the pinned kernels.

VM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$VM_DIR/../.." && pwd)
BUILD=${BUILD:-$TOP/build}
# Outside the checkout, shared by clones: the extracted linux-source tree.
SWAPLAB_CACHE=${SWAPLAB_CACHE:-/var/cache/swaplab}

# The pinned kernels, in test order (selftests/vm/kernels.conf).
pinned_kernels() {
	sed -n 's/^KERNELS *= *//p' "$VM_DIR/kernels.conf"
}

default_kernel() {
	local k
	read -r k _ <<<"$(pinned_kernels)"
	echo "$k"
}

die() {
	echo "${0##*/}: $*" >&2
	exit 1
}

// A pack module that refuses the host's ABI version (as a pack built for a newer ABI would).
#include "rxpack.h"

const rxpack_descriptor *rxpack_describe(uint32_t host_abi_version) {
    (void)host_abi_version;
    return 0;
}

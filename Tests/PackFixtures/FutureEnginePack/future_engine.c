// A well-formed pack module that requires an engine version no host has yet.
#include "rxpack.h"

static const char content[] = "pack \"future-engine\" version \"1.0.0\"\n  engine \">= 9.0.0\"\n";
static const rxpack_file files[1] = {{"pack.rules", (const uint8_t *)content, sizeof(content) - 1}};
static const rxpack_descriptor descriptor = {
    RXPACK_ABI_VERSION, sizeof(rxpack_descriptor), "future-engine", "1.0.0", ">= 9.0.0",
    "d340d4e889d24ae23261fca6658dfc068ab0807a6ac88e123217dc53423c1180", 1, files, 0, 0};

const rxpack_descriptor *rxpack_describe(uint32_t host_abi_version) {
    return host_abi_version == RXPACK_ABI_VERSION ? &descriptor : 0;
}

/*
 * xl-dryrun-shim.c: LD_PRELOAD library letting "xl -N create" run off Xen.
 *
 * xl opens the hypervisor (privcmd) and xenstore in libxl_ctx_alloc()
 * before it runs any subcommand, and parse_config_data() asks the
 * hypervisor for physinfo, so even a dry run fails outside dom0.  For
 * testing the config parser offline we stand in for just those calls;
 * everything else (xl's parser, libxlutil, libxl's defaults and JSON
 * output) is the real code.  Never use this for anything but -N: any call
 * that would reach the hypervisor and is not faked here still fails, or
 * crashes on the dummy handles.
 *
 * Build: gcc -shared -fPIC -o xl-dryrun-shim.so xl-dryrun-shim.c
 */
#include <string.h>
#include <libxl.h>

static char dummy_xch, dummy_xsh;

/* libxenctrl */
void *xc_interface_open(void *logger, void *dombuild_logger,
                        unsigned int open_flags)
{
    return &dummy_xch;
}

int xc_interface_close(void *xch)
{
    return 0;
}

int xc_get_max_cpus(void *xch)
{
    return 2;
}

int xc_get_max_nodes(void *xch)
{
    return 1;
}

/* libxenstore */
void *xs_open(unsigned long flags)
{
    return &dummy_xsh;
}

void xs_close(void *xsh)
{
}

/* libxenlight: called by xl itself, so interposing these is enough. */
const libxl_version_info *libxl_get_version_info(libxl_ctx *ctx)
{
    static libxl_version_info info = {
        .xen_version_major = 4,
        .xen_version_minor = 17,
        .xen_version_extra = "",
        .compiler = "",
        .compile_by = "",
        .compile_domain = "",
        .compile_date = "",
        .capabilities = "xen-3.0-x86_64 hvm-3.0-x86_32 hvm-3.0-x86_64",
        .changeset = "",
        .commandline = "",
        .build_id = "",
    };

    return &info;
}

int libxl_get_physinfo(libxl_ctx *ctx, libxl_physinfo *physinfo)
{
    libxl_physinfo_init(physinfo);
    physinfo->threads_per_core = 1;
    physinfo->cores_per_socket = 2;
    physinfo->max_cpu_id = 1;
    physinfo->nr_cpus = 2;
    physinfo->nr_nodes = 1;
    physinfo->total_pages = physinfo->free_pages = 1 << 20;
    physinfo->cap_hvm = physinfo->cap_pv = physinfo->cap_hap = 1;
    physinfo->cap_shadow = 1;
    return 0;
}

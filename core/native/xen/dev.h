/*
 * dev.h — the xen-pv platform's device layer, grouped by the file that
 * implements it: xenstore client, grant table, event channels for devices,
 * and the handle table unik_yield reports readiness through.
 */
#ifndef UNIK_XEN_DEV_H
#define UNIK_XEN_DEV_H

#include <stddef.h>
#include <stdint.h>
#include <unik.h>
#include "dev_abi.h"

/* pv_devices.c: is there a xenstore at all (xen-pv platform, not dom0)? */
int dev_platform_ok(void);
/* An acquire's first step: devices exist here, the xenstore client and the
 * grant table are up. 0 when ready. */
int dev_acquire_ready(void);
/* Does the caller's name pick the device called name whose frontend
 * directory is fe ("device/vif/0")? "" picks any; else its name or id. */
int dev_name_matches(const char *want, const char *name, const char *fe);
/* Wait (10 s at most) for the backend at be to be Connected: 0, or -1 with
 * one line naming the kind ("block") and device. */
int dev_wait_backend(const char *be, const char *kind, const char *name);
/* A handle for a device whose backend signals on port; has_work(ctx) says
 * whether it has something for the application (called by unik_yield).
 * Returns the handle (0..63) or -1 when all are taken. */
int dev_handle_alloc(uint32_t port, int (*has_work)(void *ctx), void *ctx);
void *dev_handle_ctx(unik_handle_t h, int (*has_work)(void *ctx));
/* Allocate an unbound event channel for remote domain dom (0 on failure). */
uint32_t dev_evtchn_alloc(domid_t dom);
/* Wait until port is pending (then clear it) or deadline (monotonic ns;
 * 0 = no deadline). Returns 1 when the port fired. */
int dev_evtchn_wait(uint32_t port, unik_time_t deadline);
/* Called from pv_yield: the ready set of all devices, and the ports to poll. */
unik_handle_set_t dev_ready(void);
unsigned dev_ports(uint32_t *ports, unsigned max);

/* pv_plat.c: called by pv_exit on a clean exit when set (blkfront sets it
 * to wait for its queued writes; a pointer, so an image without disks does
 * not link blkfront). */
extern void (*dev_exit_quiesce)(void);

/* gnttab.c: grant table v1. */
int gnttab_init(void);
/* Grant domain dom access to the page at guest-physical pa; ref or -1. */
int gnttab_grant(domid_t dom, uint64_t pa, int readonly);
void gnttab_end(grant_ref_t ref);

/* xs.c: the xenstore client. Paths are absolute or relative to the
 * domain's home. Return 0 (or a length) on success, -1 on an error. */
int xs_init(void);
int xs_read(const char *path, char *buf, size_t size);       /* NUL-terminated */
int xs_read_long(const char *path, long *out);
int xs_write(const char *path, const char *value);
/* xs_write that gives up at deadline (monotonic ns): the store may be slow or gone. */
int xs_write_by(const char *path, const char *value, unik_time_t deadline);
int xs_printf(const char *path, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Child names, NUL-separated, into buf; returns how many. */
int xs_directory(const char *path, char *buf, size_t size);
int xs_watch(const char *path, const char *token);
int xs_unwatch(const char *path, const char *token);
/* Wait for the long at path to satisfy ok(value) (watching it), until the
 * deadline (monotonic ns). Returns the value, or -1 on timeout. */
long xs_wait(const char *path, int (*ok)(long value), unik_time_t deadline);

#endif /* UNIK_XEN_DEV_H */

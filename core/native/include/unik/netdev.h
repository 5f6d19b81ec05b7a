/*
 * netdev.h — what the network stack (core/native/net) asks of the platform
 * besides unik_net_*: a NIC's configuration, as the host gave it (on Xen and
 * the runner: the vif's xenstore keys ip, netmask, gateway, dns).
 */
#ifndef UNIK_NETDEV_H
#define UNIK_NETDEV_H

#include <stddef.h>
#include <stdint.h>

/* Copy the value of key for NIC name ("eth0") into buf (NUL-terminated).
 * Returns its length, or -1 when the host gave none. */
int unik_netdev_config(const char *name, const char *key, char *buf, size_t size);

/* A number that changes while a backend on the host is polling the NICs'
 * rings on a CPU (the embedded runner's netback moves it every loop round
 * and every frame; it stops while that thread sleeps or is not scheduled),
 * 0 when no backend publishes one (Xen's netback, virtio). */
uint32_t unik_netdev_backend_beat(void);

/* Nonzero when a NIC's backend thread last ran on host CPU cpu (as the
 * guest's rdtscp reports it where the host's shows through, PVM). The
 * network stack stops spinning for a frame when the beat stands still and
 * the backend shares its CPU: spinning on would only keep it from running. */
int unik_netdev_backend_on_cpu(unsigned cpu);

#endif

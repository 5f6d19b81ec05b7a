/*
 * netdev.h — what the network stack (core/native/net) asks of the platform
 * besides unik_net_*: a NIC's configuration, as the host gave it (on Xen and
 * the runner: the vif's xenstore keys ip, netmask, gateway, dns).
 */
#ifndef UNIK_NETDEV_H
#define UNIK_NETDEV_H

#include <stddef.h>

/* Copy the value of key for NIC name ("eth0") into buf (NUL-terminated).
 * Returns its length, or -1 when the host gave none. */
int unik_netdev_config(const char *name, const char *key, char *buf, size_t size);

#endif

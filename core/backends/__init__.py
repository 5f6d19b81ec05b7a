"""Backends of the embedded runner: the host ends of the guest's PV devices."""

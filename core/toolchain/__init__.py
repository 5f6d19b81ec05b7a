"""Host toolchains used to build guests: gcc, musl, the guest core."""

"""Hosts a built image runs on besides the embedded runner."""

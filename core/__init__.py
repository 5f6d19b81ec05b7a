"""unik: build unikernels from programs in several languages on one shared runtime."""

__version__ = "0.1.0"

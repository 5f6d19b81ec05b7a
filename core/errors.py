"""The one exception type the CLI reports as a user error (exit 1, one line)."""


class UnikError(Exception):
    """A problem the user can fix: bad input, missing toolchain, bad config.

    The message is one line and says what to do where it can.
    """

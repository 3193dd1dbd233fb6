"""The sign-in screen and its PIN keypad."""

"""The error a question file's reader raises: answers in a type's syntax that are still wrong."""


class FileError(Exception):
    """Answers in a type's syntax that are still wrong: the message names what to fix."""

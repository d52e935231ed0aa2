"""Signals other apps listen to; quizzes itself knows nothing of them."""

from django.dispatch import Signal

# Sent inside the grading transaction once an answer is stored; argument: answer.
answer_recorded = Signal()

"""Lesson mode: lessons as data (assets/lessons/*.yaml), their steps' jobs, predictions and worksheets."""

from plm_core.lessons.model import Choice, Lesson, Question, Step, Text, get_lesson, lessons

__all__ = ["Choice", "Lesson", "Question", "Step", "Text", "get_lesson", "lessons"]

"""The safety check, version 2: the signs of ../shared/CLINICAL.md, the questions that ask
about them, and the outcome the answers call for. Pure logic, no Alexa imports."""
from .check import Assessment, Finding, assess, block_open, next_question, quick_screen_no
from .questions import AGE, BLOCK_SCREENS, QUESTIONS, Answer, Level, Question, question

__all__ = ["AGE", "BLOCK_SCREENS", "QUESTIONS", "Answer", "Assessment", "Finding", "Level",
           "Question", "assess", "block_open", "next_question", "question", "quick_screen_no"]

"""The safety check, version 2: the signs of ../shared/CLINICAL.md, the questions that ask
about them, and the outcome the answers call for. Pure logic, no Alexa imports."""
from .check import Assessment, Finding, assess, block_open, clean, next_question, outcome_key
from .questions import (AGE, BLOCK_SCREENS, FINDING_IDS, QUESTION_IDS, QUESTIONS, Answer, Level,
                        Question, age_of, question)

__all__ = ["AGE", "BLOCK_SCREENS", "FINDING_IDS", "QUESTION_IDS", "QUESTIONS", "Answer",
           "Assessment", "Finding", "Level", "Question", "age_of", "assess", "block_open", "clean",
           "next_question", "outcome_key", "question"]

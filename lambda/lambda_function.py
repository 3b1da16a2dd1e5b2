"""AWS Lambda entry point: the skill, built once per container from the environment."""
from skill import build_lambda_handler
from skill.settings import Settings
from skill.snapstart import register

lambda_handler = build_lambda_handler(Settings.from_env())
register(lambda_handler)  # only while Lambda takes a SnapStart snapshot

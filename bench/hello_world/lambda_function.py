"""Baseline for benchmarks: the smallest honest ASK SDK skill (a launch handler, one intent)."""
from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.skill_builder import SkillBuilder
from ask_sdk_core.utils import is_intent_name, is_request_type


class LaunchRequestHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_request_type("LaunchRequest")(handler_input)

    def handle(self, handler_input):
        speech = "Hello world. What would you like?"
        return handler_input.response_builder.speak(speech).ask(speech).response


class HelloWorldIntentHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_intent_name("HelloWorldIntent")(handler_input)

    def handle(self, handler_input):
        return handler_input.response_builder.speak("Hello world!").response


builder = SkillBuilder()
builder.add_request_handler(LaunchRequestHandler())
builder.add_request_handler(HelloWorldIntentHandler())
lambda_handler = builder.lambda_handler()

"""Anchor for the deployed cold start: a hello world built the way the ASK SDK's own persistent
samples are (ask_sdk.standard.StandardSkillBuilder with the SDK's DynamoDB adapter), reading the
user's attributes at launch. Only the endpoint is set from the environment, so that it can talk
to the benchmark's moto server; the table is the one template.yaml makes (key "id")."""
import os

import boto3
from ask_sdk.standard import StandardSkillBuilder
from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.utils import is_intent_name, is_request_type


class LaunchRequestHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_request_type("LaunchRequest")(handler_input)

    def handle(self, handler_input):
        attributes = handler_input.attributes_manager.persistent_attributes
        visits = int(attributes.get("visits", 0))
        speech = f"Hello world. Visits before this one: {visits}. What would you like?"
        return handler_input.response_builder.speak(speech).ask(speech).response


class HelloWorldIntentHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_intent_name("HelloWorldIntent")(handler_input)

    def handle(self, handler_input):
        return handler_input.response_builder.speak("Hello world!").response


builder = StandardSkillBuilder(
    table_name=os.environ["TABLE_NAME"], auto_create_table=False,
    dynamodb_client=boto3.resource("dynamodb",
                                   endpoint_url=os.environ.get("DYNAMODB_ENDPOINT_URL")))
builder.add_request_handler(LaunchRequestHandler())
builder.add_request_handler(HelloWorldIntentHandler())
lambda_handler = builder.lambda_handler()

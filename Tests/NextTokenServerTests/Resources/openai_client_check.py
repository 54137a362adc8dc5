"""Drives a running NextToken server with the official `openai` package.

Usage: python openai_client_check.py BASE_URL MODEL
Prints one JSON object with what the client received; exits non-zero on any failure.
"""
import json
import sys

import openai

base_url, model = sys.argv[1], sys.argv[2]
client = openai.OpenAI(base_url=base_url + "/v1", api_key="sk-nexttoken-test", max_retries=0, timeout=300)
result = {"openai_version": openai.__version__}

models = client.models.list()
result["models"] = [entry.id for entry in models.data]

completion = client.completions.create(model=model, prompt="The capital of France is", max_tokens=8, temperature=0)
result["completion_text"] = completion.choices[0].text
result["completion_finish_reason"] = completion.choices[0].finish_reason
result["completion_usage"] = completion.usage.model_dump()

messages = [{"role": "user", "content": "What is the capital of France?"}]
chat = client.chat.completions.create(model=model, messages=messages, max_tokens=16, temperature=0, seed=7)
result["chat_text"] = chat.choices[0].message.content
result["chat_role"] = chat.choices[0].message.role
result["chat_usage"] = chat.usage.model_dump()

pieces = []
usage = None
for chunk in client.chat.completions.create(
    model=model, messages=messages, max_tokens=16, temperature=0, seed=7, stream=True,
    stream_options={"include_usage": True},
):
    if chunk.usage is not None:
        usage = chunk.usage.model_dump()
    for choice in chunk.choices:
        pieces.append(choice.delta.content or "")
result["stream_text"] = "".join(pieces)
result["stream_usage"] = usage

streamed_completion = "".join(
    chunk.choices[0].text
    for chunk in client.completions.create(
        model=model, prompt="The capital of France is", max_tokens=8, temperature=0, stream=True
    )
    if chunk.choices
)
result["stream_completion_text"] = streamed_completion

try:
    client.chat.completions.create(model="no-such-model", messages=messages)
    result["unknown_model_error"] = None
except openai.NotFoundError as error:
    result["unknown_model_error"] = error.status_code
two = client.chat.completions.create(model=model, messages=messages, n=2, max_tokens=4, temperature=0.9, seed=3)
result["n2_indices"] = [choice.index for choice in two.choices]
result["n2_completion_tokens"] = two.usage.completion_tokens
biased = client.completions.create(
    model=model, prompt="The capital of France is", max_tokens=8, temperature=0, frequency_penalty=1,
    logit_bias={"7042": -100}, extra_body={"speculate": "goose", "repeat_penalty": 1.2},
)
result["biased_text"] = biased.choices[0].text
try:
    client.chat.completions.create(model=model, messages=messages, logit_bias={"not-a-token": 1})
    result["bad_bias_error"] = None
except openai.BadRequestError as error:
    result["bad_bias_error"] = [error.status_code, error.body.get("param") if isinstance(error.body, dict) else None]

print(json.dumps(result))

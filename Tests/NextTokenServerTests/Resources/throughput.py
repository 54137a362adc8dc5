"""Measures a running `nexttoken serve`: generated tokens per second over all clients.

Usage: python3 throughput.py BASE_URL [MODEL] [--clients 1,4,16] [--requests 4] [--max-tokens 64]
Each client sends its requests one after another (greedy /v1/completions, different prompts); the
rate is the sum of usage.completion_tokens divided by the wall time of the round. Standard library only.
"""
import argparse
import json
import threading
import time
import urllib.request

PROMPTS = [
    "Once upon a time, in a small village by the sea,",
    "The history of the Roman Empire begins",
    "def quicksort(items):",
    "A recipe for bread: first,",
    "The three laws of thermodynamics are",
    "In the year 2050, cities will",
    "Dear diary, today I",
    "The best way to learn a language is",
]


def complete(base_url, model, prompt, max_tokens):
    body = json.dumps({"model": model, "prompt": prompt, "max_tokens": max_tokens, "temperature": 0}).encode()
    request = urllib.request.Request(base_url + "/v1/completions", data=body,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=600) as response:
        return json.load(response)["usage"]["completion_tokens"]


def round_of(base_url, model, clients, requests, max_tokens):
    totals = [0] * clients

    def client(index):
        for step in range(requests):
            prompt = PROMPTS[(index + step) % len(PROMPTS)]
            totals[index] += complete(base_url, model, prompt, max_tokens)

    threads = [threading.Thread(target=client, args=(index,)) for index in range(clients)]
    start = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - start
    return sum(totals), elapsed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base_url")
    parser.add_argument("model", nargs="?", default="smollm2")
    parser.add_argument("--clients", default="1,4,16")
    parser.add_argument("--requests", type=int, default=4)
    parser.add_argument("--max-tokens", type=int, default=64)
    arguments = parser.parse_args()
    complete(arguments.base_url, arguments.model, "warm up", 4)
    print("| clients | requests | generated tokens | seconds | tokens/s |")
    print("|--------:|---------:|-----------------:|--------:|---------:|")
    for clients in [int(value) for value in arguments.clients.split(",")]:
        tokens, elapsed = round_of(arguments.base_url, arguments.model, clients, arguments.requests,
                                   arguments.max_tokens)
        print(f"| {clients} | {clients * arguments.requests} | {tokens} | {elapsed:.1f} | {tokens / elapsed:.1f} |")


if __name__ == "__main__":
    main()

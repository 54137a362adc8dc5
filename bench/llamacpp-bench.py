#!/usr/bin/env python3
"""Times llama.cpp (through llama-cpp-python's low-level API) the way `nexttoken bench` times NextToken.

ppN: one llama_decode of N tokens, logits of the last token only.
tgN: N llama_decode calls of one token each, each with logits.
Both from an empty KV cache or, with --depth D, after D cached tokens decoded untimed before each run
(llama-bench's -d; the tests are then named "pp512 @ d1024" as llama-bench and `nexttoken bench` name them).
Flash attention is on, as llama.cpp's CLI default ("auto") chooses on CPU.
Token ids are those of NextToken's Benchmark.benchmarkToken: (i * 7919 + 17) % n_vocab.
One untimed warm-up of each test per thread count, then --repetitions timed runs.
Prints the same JSON shape as `nexttoken bench --json`.
"""
import argparse
import json
import os
import statistics
import time

import llama_cpp


def token(index, n_vocab):
    return (index * 7919 + 17) % n_vocab


def clear_cache(ctx):
    if hasattr(llama_cpp, "llama_memory_clear"):
        llama_cpp.llama_memory_clear(llama_cpp.llama_get_memory(ctx), True)
    else:
        llama_cpp.llama_kv_self_clear(ctx)


def fill(batch, tokens, start, last_logits_only):
    batch.n_tokens = len(tokens)
    for i, tok in enumerate(tokens):
        batch.token[i] = tok
        batch.pos[i] = start + i
        batch.n_seq_id[i] = 1
        batch.seq_id[i][0] = 0
        batch.logits[i] = (i == len(tokens) - 1) or not last_logits_only


def decode(ctx, batch):
    status = llama_cpp.llama_decode(ctx, batch)
    if status != 0:
        raise SystemExit(f"llama_decode failed with status {status}")


def prefill(ctx, batch, depth, n_batch, n_vocab):
    """Clears the cache and decodes the first `depth` benchmark tokens (untimed)."""
    clear_cache(ctx)
    for start in range(0, depth, n_batch):
        fill(batch, [token(i, n_vocab) for i in range(start, min(start + n_batch, depth))], start, True)
        decode(ctx, batch)
    llama_cpp.llama_synchronize(ctx)


def time_prompt(ctx, batch, n_prompt, n_vocab, depth):
    prefill(ctx, batch, depth, n_prompt, n_vocab)
    fill(batch, [token(depth + i, n_vocab) for i in range(n_prompt)], depth, True)
    start = time.perf_counter()
    decode(ctx, batch)
    llama_cpp.llama_synchronize(ctx)
    return time.perf_counter() - start


def time_generation(ctx, batch, single, n_gen, n_vocab, depth, n_batch):
    prefill(ctx, batch, depth, n_batch, n_vocab)
    start = time.perf_counter()
    for i in range(n_gen):
        fill(single, [token(depth + i, n_vocab)], depth + i, False)
        decode(ctx, single)
        llama_cpp.llama_synchronize(ctx)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", required=True)
    parser.add_argument("--prompt-tokens", type=int, default=512)
    parser.add_argument("--gen-tokens", type=int, default=128)
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--repetitions", type=int, default=5)
    parser.add_argument("--depth", default="0", help="comma-separated cached-token counts")
    args = parser.parse_args()
    depths = [int(d) for d in args.depth.split(",")]

    llama_cpp.llama_backend_init()
    model_params = llama_cpp.llama_model_default_params()
    model = llama_cpp.llama_model_load_from_file(args.model.encode(), model_params)
    if not model:
        raise SystemExit(f"llama.cpp could not load {args.model}")
    n_vocab = llama_cpp.llama_vocab_n_tokens(llama_cpp.llama_model_get_vocab(model))

    results = []
    for threads in [int(t) for t in args.threads.split(",")]:
        params = llama_cpp.llama_context_default_params()
        params.n_ctx = max(depths) + max(args.prompt_tokens, args.gen_tokens) + 16
        params.n_batch = args.prompt_tokens
        params.n_ubatch = args.prompt_tokens
        params.n_threads = threads
        params.n_threads_batch = threads
        params.no_perf = True
        if hasattr(params, "flash_attn_type"):
            params.flash_attn_type = 1
        elif hasattr(params, "flash_attn"):
            params.flash_attn = True
        ctx = llama_cpp.llama_init_from_model(model, params)
        if not ctx:
            raise SystemExit("llama.cpp could not create a context")
        batch = llama_cpp.llama_batch_init(args.prompt_tokens, 0, 1)
        single = llama_cpp.llama_batch_init(1, 0, 1)
        n = args.prompt_tokens
        for depth in depths:
            time_prompt(ctx, batch, n, n_vocab, depth)
            time_generation(ctx, batch, single, args.gen_tokens, n_vocab, depth, n)
            pp, tg = [], []
            for _ in range(args.repetitions):
                pp.append(n / time_prompt(ctx, batch, n, n_vocab, depth))
                tg.append(args.gen_tokens / time_generation(ctx, batch, single, args.gen_tokens, n_vocab, depth, n))
            suffix = f" @ d{depth}" if depth else ""
            for test, values in ((f"pp{n}{suffix}", pp), (f"tg{args.gen_tokens}{suffix}", tg)):
                results.append({"test": test, "threads": threads, "tokens_per_second": {
                    "median": statistics.median(values), "min": min(values), "max": max(values)}})
        llama_cpp.llama_batch_free(batch)
        llama_cpp.llama_batch_free(single)
        llama_cpp.llama_free(ctx)
    llama_cpp.llama_model_free(model)
    print(json.dumps({"model": os.path.basename(args.model), "engine": "llama.cpp " + llama_cpp.__version__,
                      "results": results}))


if __name__ == "__main__":
    main()

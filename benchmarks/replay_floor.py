"""The floor under any replay of the 1-3-1 step: its ops' own forward and backward.

A replay (`tinygrad_edu.trace`) calls each recorded op's `forward` and `backward` on arrays.
This measures those calls alone, with the least bookkeeping a loop can have (no engine,
no gradient checks, no optimizer, no loader), against the hand-written numpy step that
includes its update, side by side in one run. If the ops alone cost more than the target
ratio, no replay of them can meet it: the per-call checks and extra numpy calls inside
the ops would have to move to record time first.

    python benchmarks/replay_floor.py
"""
import time

import numpy as np

import bench_nets
import reference
import tinygrad_edu.functional as F
from tinygrad_edu import Tensor, nn, optim, trace


def ops_only(record, arrays, upstream=np.float64(1.0)):
    """Each recorded op's forward in order, then each backward in backward order (from
    `upstream`, the gradient of the recorded output)."""
    values = [None] * record.size
    values[:len(arrays)] = arrays
    contexts = []
    for op in record.ops:
        ctx = op.function()
        ctx.parents, ctx.needs_input_grad = op.parents, op.needs_input_grad
        values[op.output] = op.function.forward(ctx, *[values[slot] for slot in op.inputs], **op.settings)
        contexts.append(ctx)
    pending = {record.root: upstream}
    for op in record.backward_order:
        grads = op.function.backward(contexts[op.index], pending.pop(op.output))
        grads = grads if isinstance(grads, tuple) else (grads,)
        for position, target in op.grad_to:
            if target >= 0:
                pending[target] = grads[position] if target not in pending else pending[target] + grads[position]


def per_step(run, steps):
    best = np.inf
    for _ in range(5):                      # best of five: the least disturbed
        start = time.perf_counter()
        run(steps)
        best = min(best, time.perf_counter() - start)
    return best / steps * 1e6


def main(steps=20000):
    X, Y = bench_nets.curve_data()
    weights = bench_nets.initial_weights([(1, 3), (3, 1)], np.float64)
    model = bench_nets._our_net(weights, [nn.Sigmoid(), None])
    step = trace(lambda x, y: F.half_mse_loss(model(x), y))
    x, y = Tensor(X[:1]), Tensor(Y[:1])
    step(x, y).backward()                   # records
    record = step.last
    arrays = [x.data, y.data] + [held.data for held in record.held if held is not None]
    weights_numpy = {k: v.copy() for k, v in weights.items()}
    opt = optim.SGD(model.parameters(), lr=0.5)

    def numpy_steps(n):
        for i in range(n):
            reference.regression_step(weights_numpy, X[i % 900:i % 900 + 1], Y[i % 900:i % 900 + 1], 0.5)

    def ops_steps(n):
        for _ in range(n):
            ops_only(record, arrays)

    def traced_steps(n):
        for _ in range(n):
            opt.zero_grad()
            step(x, y).backward()
            opt.step()

    numpy_us, ops_us, traced_us = per_step(numpy_steps, steps), per_step(ops_steps, steps), per_step(traced_steps, steps)
    print(f"ops: {', '.join(op.function.__name__ for op in record.ops)}")
    print("| per 1-3-1 step | µs | ratio to numpy |\n|---|---|---|")
    for name, us in (("hand-written numpy, update included", numpy_us),
                     ("the recorded ops' own forward and backward, nothing else", ops_us),
                     ("tinygrad_edu traced step (zero_grad, replay, backward, SGD step)", traced_us)):
        print(f"| {name} | {us:.1f} | {us / numpy_us:.2f}× |")


if __name__ == "__main__":
    main()

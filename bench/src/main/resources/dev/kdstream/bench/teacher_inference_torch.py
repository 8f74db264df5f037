"""Ensemble inference throughput of the seed's 12 teachers in PyTorch (kd-stream bench).

The same models as ../shared/reference/seed_kd.py (TeacherModel 20-256-128-64-2, eval mode, so
dropout is identity) and the same ensemble (mean of the 12 logits under torch.no_grad()), with
untrained weights: inference time does not depend on their values. For each batch: warm up for
--warmup seconds, then time single calls for --seconds (at least --min-calls), and report the
median. Prints ONE JSON line on stdout.
"""
import argparse
import json
import statistics
import time

import torch
from torch import nn


class TeacherModel(nn.Module):
    def __init__(self, input_dim=20, num_classes=2):
        super().__init__()
        self.net = nn.Sequential(
            nn.Linear(input_dim, 256), nn.ReLU(), nn.Dropout(0.3),
            nn.Linear(256, 128), nn.ReLU(), nn.Dropout(0.3),
            nn.Linear(128, 64), nn.ReLU(),
            nn.Linear(64, num_classes),
        )

    def forward(self, x):
        return self.net(x)


@torch.no_grad()
def ensemble_logits(teachers, x):
    return torch.stack([t(x) for t in teachers]).mean(dim=0)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--batches", default="256,1024")
    p.add_argument("--teachers", type=int, default=12)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--warmup", type=float, default=3.0)
    p.add_argument("--seconds", type=float, default=3.0)
    p.add_argument("--min-calls", type=int, default=20)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    teachers = [TeacherModel().eval() for _ in range(a.teachers)]
    results = []
    for batch in [int(b) for b in a.batches.split(",")]:
        x = torch.randn(batch, 20)
        end = time.perf_counter() + a.warmup
        while time.perf_counter() < end:
            ensemble_logits(teachers, x)
        times = []
        end = time.perf_counter() + a.seconds
        while time.perf_counter() < end or len(times) < a.min_calls:
            t0 = time.perf_counter()
            ensemble_logits(teachers, x)
            times.append(time.perf_counter() - t0)
        med = statistics.median(times)
        results.append({"batch": batch, "calls": len(times), "median_ms": med * 1e3,
                        "records_per_s": batch / med})
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(),
                      "teachers": a.teachers, "results": results}))


if __name__ == "__main__":
    main()

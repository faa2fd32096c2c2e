#!/usr/bin/env python3
"""PyTorch CPU baseline for `make bench`: otlab's W2GAN and WGAN-GP training steps written in
PyTorch with the same shapes, losses, optimiser and one thread. One generator step is n_critic
critic updates then one generator update, as in otlab. Prints JSON {"torch", "cases": [...]}, or
{"skipped": why} when torch is not installed.

usage: bench_torch.py SECONDS_PER_CASE
"""
import json
import sys
import time

try:
    import torch
except ImportError:
    print(json.dumps({"skipped": "torch is not installed here (pip install torch to compare)"}))
    sys.exit(0)

torch.set_num_threads(1)
torch.manual_seed(0)


def mlp(widths, batch_norm=False):
    """Dense layers with ReLU between them (and batch norm before each ReLU if asked)."""
    layers = []
    for i, (a, b) in enumerate(zip(widths, widths[1:])):
        layers.append(torch.nn.Linear(a, b))
        if i < len(widths) - 2:
            if batch_norm:
                layers.append(torch.nn.BatchNorm1d(b))
            layers.append(torch.nn.ReLU())
    return torch.nn.Sequential(*layers)


class Residual(torch.nn.Module):
    """x + net(x): the generator in map mode."""

    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x):
        return x + self.net(x)


def half_sq_cost(a, b):
    return 0.5 * ((a - b) ** 2).sum(1, keepdim=True)


def grad_of(f, x):
    """∇ₓ Σ f(x), kept on the graph so the loss can differentiate through it."""
    return torch.autograd.grad(f.sum(), x, create_graph=True)[0]


def networks(width, critic_depth, gen_depth):
    critic = lambda: mlp([2] + [width] * critic_depth + [1])
    return critic, Residual(mlp([2] + [width] * gen_depth + [2], batch_norm=True))


def w2gan(batch, width, n_critic, critic_depth=3, gen_depth=3, lam=200.0):
    """otlab's W2GAN: potentials φ and ε (ψ = ε − φ), inequality and tightness penalties."""
    critic, g = networks(width, critic_depth, gen_depth)
    phi, eps = critic(), critic()
    opt_c = torch.optim.Adam(list(phi.parameters()) + list(eps.parameters()), lr=1e-3, betas=(0.9, 0.999))
    opt_g = torch.optim.Adam(g.parameters(), lr=3e-4, betas=(0.9, 0.999))

    def critic_step():
        with torch.no_grad():
            x = g(torch.randn(batch, 2))
        y = torch.randn(batch, 2) + 1.0
        a, b = torch.rand(batch, 1), torch.rand(batch, 1)
        xt, yt = a * x + (1 - a) * y, b * y + (1 - b) * x
        x, y = x.requires_grad_(), y.requires_grad_()
        phi_x = phi(x)
        psi_y = eps(y) - phi(y)
        value = phi_x.mean() + psi_y.mean()
        ineq = (torch.relu(phi_x + psi_y - half_sq_cost(x, y)) ** 2).mean() + (
            torch.relu(phi(xt) + (eps(yt) - phi(yt)) - half_sq_cost(xt, yt)) ** 2
        ).mean()
        tx = x - grad_of(phi_x, x)
        ty = y - grad_of(psi_y, y)
        eq = ((phi_x + (eps(tx) - phi(tx)) - half_sq_cost(x, tx)) ** 2).mean() + (
            (phi(ty) + psi_y - half_sq_cost(ty, y)) ** 2
        ).mean()
        loss = -value + lam * ineq + lam * eq
        opt_c.zero_grad()
        loss.backward()
        opt_c.step()

    def generator_step():
        loss = phi(g(torch.randn(batch, 2))).mean()
        opt_g.zero_grad()
        loss.backward()
        opt_g.step()

    return critic_step, generator_step, n_critic


def wgan_gp(batch, width, n_critic, critic_depth=3, gen_depth=3, lam=10.0):
    """otlab's WGAN-GP: E f(G(x)) − E f(y) + λ E (‖∇f(x̂)‖ − 1)² on random interpolates x̂."""
    critic, g = networks(width, critic_depth, gen_depth)
    f = critic()
    opt_c = torch.optim.Adam(f.parameters(), lr=1e-3, betas=(0.5, 0.9))
    opt_g = torch.optim.Adam(g.parameters(), lr=1e-3, betas=(0.5, 0.9))

    def critic_step():
        with torch.no_grad():
            gx = g(torch.randn(batch, 2))
        y = torch.randn(batch, 2) + 1.0
        t = torch.rand(batch, 1)
        h = (t * y + (1 - t) * gx).requires_grad_()
        norm = torch.sqrt((grad_of(f(h), h) ** 2).sum(1) + 1e-12)
        loss = f(gx).mean() - f(y).mean() + lam * ((norm - 1) ** 2).mean()
        opt_c.zero_grad()
        loss.backward()
        opt_c.step()

    def generator_step():
        loss = -f(g(torch.randn(batch, 2))).mean()
        opt_g.zero_grad()
        loss.backward()
        opt_g.step()

    return critic_step, generator_step, n_critic


# the names match otlab's training cases (otlab::bench::train_cases) so the reports pair them
AUTHORS = dict(batch=512, width=128, n_critic=5, critic_depth=2, gen_depth=4)
CASES = [
    ("w2gan-fast, checkerboard", lambda: w2gan(batch=256, width=64, n_critic=10)),
    ("w2gan paper preset, checkerboard", lambda: w2gan(batch=512, width=128, n_critic=5)),
    ("w2gan, the authors' networks", lambda: w2gan(**AUTHORS)),
    ("wgan-gp lab default, gaussians4", lambda: wgan_gp(batch=256, width=64, n_critic=5)),
    ("wgan-gp, the authors' networks", lambda: wgan_gp(**AUTHORS)),
]


def steps_per_second(build, seconds):
    critic_step, generator_step, n_critic = build()

    def step():
        for _ in range(n_critic):
            critic_step()
        generator_step()

    for _ in range(2):
        step()  # warm-up
    steps, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < seconds or steps < 3:
        step()
        steps += 1
    return steps / (time.perf_counter() - t0)


if __name__ == "__main__":
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 10.0
    cases = [{"name": name, "steps_per_s": steps_per_second(build, seconds)} for name, build in CASES]
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "cases": cases}))

"""Optimizers over a list of Value parameters: they read p.grad and change p.data.

lr is a number or a schedule: a function of the step number k = 0, 1, 2, ..."""
import math


def linear_decay(start, end, steps):
    """lr(k) going from start at k = 0 to end at k = steps (micrograd's demo: 1.0 -> 0.1 over 100)."""
    return lambda k: start - (start - end) * k / steps


class Optimizer:

    def __init__(self, parameters, lr):
        self.parameters = list(parameters)
        self.lr = lr
        self.k = 0  # steps taken

    def learning_rate(self):
        return self.lr(self.k) if callable(self.lr) else self.lr

    def zero_grad(self):
        for p in self.parameters:
            p.grad = 0.0

    def step(self):
        self.update(self.learning_rate())
        self.k += 1


class SGD(Optimizer):
    """p -= lr * grad, as in micrograd's training loop."""

    def update(self, lr):
        for p in self.parameters:
            p.data -= lr * p.grad


class Momentum(Optimizer):
    """SGD with momentum: v = momentum * v + grad; p -= lr * v."""

    def __init__(self, parameters, lr, momentum=0.9):
        super().__init__(parameters, lr)
        self.momentum = momentum
        self.velocity = [0.0] * len(self.parameters)

    def update(self, lr):
        for i, p in enumerate(self.parameters):
            self.velocity[i] = self.momentum * self.velocity[i] + p.grad
            p.data -= lr * self.velocity[i]


class Adam(Optimizer):
    """Adam (Kingma & Ba 2015), with bias-corrected moment estimates."""

    def __init__(self, parameters, lr=0.01, beta1=0.9, beta2=0.999, eps=1e-8):
        super().__init__(parameters, lr)
        self.beta1, self.beta2, self.eps = beta1, beta2, eps
        self.m = [0.0] * len(self.parameters)
        self.v = [0.0] * len(self.parameters)

    def update(self, lr):
        t = self.k + 1
        for i, p in enumerate(self.parameters):
            g = p.grad
            self.m[i] = self.beta1 * self.m[i] + (1 - self.beta1) * g
            self.v[i] = self.beta2 * self.v[i] + (1 - self.beta2) * g * g
            m_hat = self.m[i] / (1 - self.beta1 ** t)
            v_hat = self.v[i] / (1 - self.beta2 ** t)
            p.data -= lr * m_hat / (math.sqrt(v_hat) + self.eps)


OPTIMIZERS = {"sgd": SGD, "momentum": Momentum, "adam": Adam}

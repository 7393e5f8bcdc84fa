def linear_forward(A, W, b):
    return W @ A + b

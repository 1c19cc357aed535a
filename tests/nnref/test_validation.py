"""Bad input gets a ValueError that names the problem, at the public boundary."""

import re

import numpy as np
import pytest

import nnref

X = np.zeros((4, 3))
Y = np.array([0, 1, 2, 1])
PARAMS = [(np.zeros((5, 3)), np.zeros(5)), (np.zeros((3, 5)), np.zeros(3))]


def test_layers_whose_shapes_do_not_chain_are_named():
    params = [(np.zeros((3, 2)), np.zeros(3)), (np.zeros((5, 4)), np.zeros(5))]
    with pytest.raises(ValueError, match=re.escape("params[1][0] has shape (5, 4) but layer 0 outputs 3 features")):
        nnref.mlp_forward(params, np.zeros((1, 2)), "relu")


def test_first_layer_that_does_not_fit_X_is_named():
    with pytest.raises(ValueError, match=re.escape("params[0][0] has shape (5, 3) but X has 4 features")):
        nnref.mlp_backward(PARAMS, np.zeros((4, 4)), Y, "relu")


def test_bias_of_the_wrong_length_is_named():
    params = [(np.zeros((5, 3)), np.zeros(4)), PARAMS[1]]
    with pytest.raises(ValueError, match=re.escape("params[0][1] has shape (4,) but params[0][0] has shape (5, 3)")):
        nnref.mlp_forward(params, X, "tanh")


def test_a_layer_that_is_not_a_pair_is_named():
    with pytest.raises(ValueError, match=re.escape("params[1] must be a (W, b) pair")):
        nnref.mlp_forward([PARAMS[0], (np.zeros((3, 5)),)], X, "relu")


def test_empty_params_are_refused():
    with pytest.raises(ValueError, match="non-empty list of"):
        nnref.mlp_forward([], X, "relu")


@pytest.mark.parametrize(
    "call",
    [lambda y: nnref.mlp_backward(PARAMS, X, y, "relu"), lambda y: nnref.mlp_loss(PARAMS, X, y, "relu"),
     lambda y: nnref.softmax_cross_entropy(np.zeros((4, 3)), y), lambda y: nnref.zero_one_loss(np.zeros((4, 3)), y),
     lambda y: nnref.softmax_cross_entropy_grad(np.zeros((4, 3)), y)],
)
@pytest.mark.parametrize(
    ("label", "message"), [(3, "label 3 out of range for 3 classes"), (-1, "label -1 out of range for 3 classes")]
)
def test_labels_out_of_range_are_named(call, label, message):
    with pytest.raises(ValueError, match=message):
        call(np.array([0, 1, label, 0]))


def test_label_out_of_range_in_training_names_the_class_count():
    with pytest.raises(ValueError, match="label 10 out of range for 10 classes"):
        nnref.train_mlp(np.zeros((2, 3)), np.array([10, 0]), [3, 10], "relu", 0.1, 1, 1, 0)


@pytest.mark.parametrize(
    ("call", "message"),
    [(lambda: nnref.mlp_backward(PARAMS, X, Y[:3], "relu"), "y has 3 labels but X has 4 rows"),
     (lambda: nnref.softmax_cross_entropy(np.zeros((5, 3)), Y), "y has 4 labels but a has 5 rows"),
     (lambda: nnref.zero_one_loss(np.zeros((2, 3)), Y), "y has 4 labels but scores has 2 rows"),
     (lambda: nnref.train_mlp(X, Y[:2], [3, 3], "relu", 0.1, 1, 1, 0), "y has 2 labels but X has 4 rows"),
     (lambda: nnref.l2_loss(np.zeros((4, 2)), np.zeros((3, 2))),
      re.escape("f has shape (4, 2) but y has shape (3, 2)"))],
)
def test_mismatched_batch_sizes_are_named(call, message):
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.parametrize(
    "call",
    [lambda: nnref.mlp_forward(PARAMS, X, "softplus"), lambda: nnref.mlp_backward(PARAMS, X, Y, "softplus"),
     lambda: nnref.train_mlp(X, Y, [3, 3], "softplus", 0.1, 1, 1, 0),
     lambda: nnref.neuron(X, np.zeros(3), 0.0, "softplus"),
     lambda: nnref.init_params([3, 3], "softplus")],
)
def test_unknown_activation_names_the_choices(call):
    expected = "unknown activation 'softplus'; expected one of 'linear', 'sigmoid', 'tanh', 'relu'"
    with pytest.raises(ValueError, match=expected):
        call()


def test_float_labels_are_refused():
    with pytest.raises(ValueError, match="y must hold integer class labels, got dtype float64"):
        nnref.softmax_cross_entropy(np.zeros((2, 2)), np.array([0.0, 1.0]))


def test_one_dimensional_logits_are_refused_not_reshaped():
    with pytest.raises(ValueError, match=re.escape("a must be 2-D, got shape (3,)")):
        nnref.softmax(np.zeros(3))


def test_logits_without_classes_are_refused():
    with pytest.raises(ValueError, match="at least one column"):
        nnref.softmax(np.zeros((2, 0)))


def test_a_mean_over_no_rows_is_refused():
    with pytest.raises(ValueError, match=re.escape("a must have at least one row, got shape (0, 3)")):
        nnref.softmax_cross_entropy(np.zeros((0, 3)), np.zeros(0, dtype=int))


def test_complex_input_is_refused():
    with pytest.raises(ValueError, match="a must be a real-valued array, got dtype complex128"):
        nnref.sigmoid(np.array([1 + 2j]))


def test_gradients_not_shaped_like_params_are_named():
    grads = [PARAMS[0], (np.zeros((5, 3)), np.zeros(3))]
    with pytest.raises(ValueError, match=re.escape("grads[1][0] has shape (5, 3) but params[1][0] has shape (3, 5)")):
        nnref.sgd_step(PARAMS, grads, 0.1)


def test_velocity_with_missing_layers_is_named():
    with pytest.raises(ValueError, match="velocity has 1 layers but params has 2"):
        nnref.sgd_momentum_step(PARAMS, PARAMS, PARAMS[:1], 0.1, 0.9)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"lr": 0.0}, "lr must be positive, got 0.0"), ({"lr": float("nan")}, "lr must be finite"),
    ({"epochs": -1}, "epochs must be at least 0, got -1"), ({"batch_size": 0}, "batch_size must be at least 1, got 0"),
    ({"batch_size": 2.5}, "batch_size must be an integer, got 2.5"),
    ({"momentum": 1.0}, re.escape("momentum must be in [0, 1), got 1.0")),
    ({"seed": -3}, "seed must be at least 0, got -3"),
])
def test_out_of_range_hyperparameters_are_named(kwargs, message):
    arguments = {"lr": 0.1, "epochs": 1, "batch_size": 2, "seed": 0} | kwargs
    with pytest.raises(ValueError, match=message):
        nnref.train_mlp(X, Y, [3, 3], "relu", **arguments)


def test_sizes_that_do_not_fit_X_are_named():
    with pytest.raises(ValueError, match="sizes\\[0\\] is 4 but X has 3 features"):
        nnref.train_mlp(X, Y, [4, 3], "relu", 0.1, 1, 1, 0)


def test_sizes_need_an_input_and_an_output():
    with pytest.raises(ValueError, match="sizes must list at least two layer widths"):
        nnref.train_mlp(X, Y, [3], "relu", 0.1, 1, 1, 0)


def test_neuron_weights_that_do_not_fit_the_input_are_named():
    with pytest.raises(ValueError, match=re.escape("x has 3 features but w has shape (2,)")):
        nnref.neuron_preactivation(X, np.zeros(2), 0.0)

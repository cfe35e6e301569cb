"""The training view's status text: the step, steps per second, and the last loss and accuracy measured."""


def status_html(step, rate, metrics):
    """metrics: the run's last row (controller.TrainingRun.evaluate); None values show as a dash. Numbers only:
    nothing here comes from a student's text."""
    def percent(key):
        value = metrics.get(key)
        return "–" if value is None else f"{100 * value:.1f} %"

    def number(key):
        value = metrics.get(key)
        return "–" if value is None else f"{value:.4f}"

    return (f"<b>step</b> <span class='train-step-count'>{step}</span> · "
            f"<span class='train-rate'>{rate:.0f}</span> steps/s<br>"
            f"<b>train</b> loss {number('train_loss')}, accuracy "
            f"<span class='train-accuracy'>{percent('train_accuracy')}</span><br>"
            f"<b>test</b> loss {number('test_loss')}, accuracy {percent('test_accuracy')}")

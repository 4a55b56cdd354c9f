"""Reference values for src-shared/metrics, computed with scikit-learn.

Usage: python3 sklearn_reference.py CASES.json > RESULTS.json

CASES.json: {"cases": [{"name", "numClasses", "labels": [int], "probabilities": [float] (row-major [n, numClasses]),
"threshold": float | absent}]}. Writes one result object per case, in the same order. Values that sklearn leaves
undefined (it raises, or warns and returns NaN/0) are null, matching the TypeScript side's convention.
"""
import json
import sys
import warnings

import numpy as np
from sklearn.exceptions import UndefinedMetricWarning
from sklearn.metrics import (
    accuracy_score,
    average_precision_score,
    confusion_matrix,
    f1_score,
    matthews_corrcoef,
    precision_recall_curve,
    precision_recall_fscore_support,
    roc_auc_score,
    roc_curve,
)
from sklearn.preprocessing import label_binarize

warnings.simplefilter("ignore", UndefinedMetricWarning)
warnings.simplefilter("ignore", RuntimeWarning)


def floats(a):
    return [float(v) for v in a]


def prf(y, pred, labels, average):
    p, r, f, _ = precision_recall_fscore_support(y, pred, labels=labels, average=average, zero_division=0)
    return {"precision": float(p), "recall": float(r), "f1": float(f)}


def binary_ranking(y, s):
    """ROC/PR metrics of binary labels y (0/1) and scores s; None where undefined."""
    both = 0 < y.sum() < len(y)
    out = {"rocAuc": None, "averagePrecision": None, "roc": None, "rocDropped": None, "pr": None}
    if both:
        out["rocAuc"] = float(roc_auc_score(y, s))
        for key, drop in (("roc", False), ("rocDropped", True)):
            fpr, tpr, thr = roc_curve(y, s, drop_intermediate=drop)
            # thresholds[0] is max + 1 before sklearn 1.3 and inf since; compare the rest.
            out[key] = {"fpr": floats(fpr), "tpr": floats(tpr), "thresholds": floats(thr[1:])}
    if y.sum() > 0:
        out["averagePrecision"] = float(average_precision_score(y, s))
        precision, recall, thr = precision_recall_curve(y, s)
        out["pr"] = {"precision": floats(precision), "recall": floats(recall), "thresholds": floats(thr)}
    return out


def threshold_candidates(y, s):
    """F1, MCC and Youden's J at every distinct score, predicting positive when score >= threshold."""
    rows = []
    for t in sorted(set(s.tolist()), reverse=True):
        pred = (s >= t).astype(int)
        tn, fp, fn, tp = confusion_matrix(y, pred, labels=[0, 1]).ravel()
        rows.append({
            "threshold": float(t),
            "f1": float(f1_score(y, pred, zero_division=0)),
            "mcc": float(matthews_corrcoef(y, pred)),
            "youden": float(tp / (tp + fn) - fp / (fp + tn)),
        })
    return rows


def evaluate(case):
    c = case["numClasses"]
    labels = list(range(c))
    y = np.asarray(case["labels"], dtype=np.int64)
    prob = np.asarray(case["probabilities"], dtype=np.float64).reshape(len(y), c)
    threshold = case.get("threshold", 0.5)
    pred = (prob[:, 1] >= threshold).astype(np.int64) if c == 2 else np.argmax(prob, axis=1)

    p, r, f, support = precision_recall_fscore_support(y, pred, labels=labels, average=None, zero_division=0)
    res = {
        "predicted": pred.tolist(),
        "confusionMatrix": confusion_matrix(y, pred, labels=labels).tolist(),
        "accuracy": float(accuracy_score(y, pred)),
        "perClass": [
            {"precision": float(p[i]), "recall": float(r[i]), "f1": float(f[i]), "support": int(support[i])} for i in labels
        ],
        "macro": prf(y, pred, labels, "macro"),
        "weighted": prf(y, pred, labels, "weighted"),
        "mcc": float(matthews_corrcoef(y, pred)),
    }
    per_class = [binary_ranking((y == k).astype(np.int64), prob[:, k]) for k in labels]
    res["perClassRocAuc"] = [v["rocAuc"] for v in per_class]
    res["perClassAveragePrecision"] = [v["averagePrecision"] for v in per_class]

    if c == 2:
        p1, r1, f1, _ = precision_recall_fscore_support(y, pred, average="binary", pos_label=1, zero_division=0)
        res["binary"] = {"precision": float(p1), "recall": float(r1), "f1": float(f1), "support": int((y == 1).sum())}
        res.update(per_class[1])
        if 0 < y.sum() < len(y):
            res["thresholdCandidates"] = threshold_candidates(y, prob[:, 1])
    else:
        res["binary"] = None
        try:
            res["rocAuc"] = float(roc_auc_score(y, prob, multi_class="ovr", average="macro", labels=labels))
        except ValueError:  # a class without positive or negative samples: undefined
            res["rocAuc"] = None
        present = set(y.tolist())
        res["averagePrecision"] = (
            float(average_precision_score(label_binarize(y, classes=labels), prob, average="macro"))
            if present == set(labels)
            else None
        )
    return res


def main():
    with open(sys.argv[1], encoding="utf-8") as fh:
        cases = json.load(fh)["cases"]
    import sklearn

    json.dump({"sklearn": sklearn.__version__, "results": [evaluate(c) for c in cases]}, sys.stdout, allow_nan=False)


if __name__ == "__main__":
    main()

// DigitsEvaluation — see README.md in this folder.

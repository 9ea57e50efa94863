// DigitsData — see README.md in this folder.

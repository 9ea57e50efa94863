// DigitsModel — see README.md in this folder.

// DigitsCommands — see README.md in this folder.

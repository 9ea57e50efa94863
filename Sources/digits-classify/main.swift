import DigitsCommands

ClassifyCommand.main()

import DigitsCommands

ReadCommand.main()

import DigitsCommands

TrainCommand.main()

import DigitsCore

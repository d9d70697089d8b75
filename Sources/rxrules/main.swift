import RxCommands

RxRulesCommand.runWithExitCodes()

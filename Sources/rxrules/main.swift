import RxCommands

RxRulesCommand.main()

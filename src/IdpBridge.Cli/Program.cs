using IdpBridge.Cli;

return await IdpBridgeCommand.RunAsync(args, Console.Out, Console.Error).ConfigureAwait(false);

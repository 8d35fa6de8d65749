using RulesMfa.SampleApp;

await SampleApp.Build(args).RunAsync();

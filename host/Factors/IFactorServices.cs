namespace RulesMfa.Host.Factors;

/// <summary>The services a factor brings with it, registered with it.</summary>
public interface IFactorServices
{
    static abstract void AddServices(IServiceCollection services);
}

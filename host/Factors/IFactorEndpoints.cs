namespace RulesMfa.Host.Factors;

/// <summary>A factor with endpoints of its own (a device API), mapped once for every tenant (<see cref="FactorRegistration.MapFactorEndpoints"/>).</summary>
public interface IFactorEndpoints
{
    void MapEndpoints(IEndpointRouteBuilder endpoints);
}

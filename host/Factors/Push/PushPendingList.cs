using System.Text.Json.Serialization;

namespace RulesMfa.Host.Factors.Push;

/// <summary>The answer of <c>GET {base_url}/api/device-accounts/{id}/pending-transactions</c>.</summary>
public sealed record PushPendingList([property: JsonPropertyName("transactions")] IReadOnlyList<PushPendingTransaction> Transactions);

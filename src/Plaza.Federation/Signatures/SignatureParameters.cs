namespace Plaza.Federation.Signatures;

/// <summary>
/// A covered component of an RFC 9421 signature: a derived component such as <c>@method</c>,
/// or a lowercase header field name, with its parameters (e.g. <c>"@query-param";name="Pet"</c>).
/// </summary>
public sealed record ComponentIdentifier
{
    /// <summary>A component without parameters.</summary>
    public ComponentIdentifier(string name)
        : this(name, [])
    {
    }

    /// <summary>A component with parameters, in the order they are serialised.</summary>
    public ComponentIdentifier(string name, IReadOnlyList<KeyValuePair<string, object>> parameters)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(parameters);
        Name = name;
        Parameters = parameters;
    }

    /// <summary>The component name: <c>@method</c>, <c>@target-uri</c>, <c>content-digest</c>…</summary>
    public string Name { get; }

    /// <summary>The component's parameters (RFC 8941 bare items).</summary>
    public IReadOnlyList<KeyValuePair<string, object>> Parameters { get; }

    /// <summary>The <c>@query-param</c> component for the query parameter <paramref name="encodedName"/>.</summary>
    public static ComponentIdentifier QueryParameter(string encodedName) =>
        new("@query-param", [new("name", encodedName)]);

    /// <summary>The identifier as it appears in the signature base and <c>Signature-Input</c>: <c>"@query-param";name="Pet"</c>.</summary>
    public string Serialize() => StructuredFields.SerializeItem(Name, Parameters);

    /// <inheritdoc />
    public bool Equals(ComponentIdentifier? other) =>
        other is not null && Serialize() == other.Serialize();

    /// <inheritdoc />
    public override int GetHashCode() => Serialize().GetHashCode(StringComparison.Ordinal);

    /// <inheritdoc />
    public override string ToString() => Serialize();
}

/// <summary>
/// The parameters of one RFC 9421 signature: the ordered covered components and the ordered
/// metadata (<c>created</c>, <c>keyid</c>, <c>alg</c>…). Their serialisation is the last line of
/// the signature base and the value in <c>Signature-Input</c>, so order is kept exactly.
/// </summary>
public sealed class SignatureParameters
{
    /// <summary>Signature parameters with the given components and metadata, in order.</summary>
    public SignatureParameters(
        IEnumerable<ComponentIdentifier> components, IEnumerable<KeyValuePair<string, object>> parameters)
    {
        ArgumentNullException.ThrowIfNull(components);
        ArgumentNullException.ThrowIfNull(parameters);
        Components = [.. components];
        Parameters = [.. parameters];
    }

    /// <summary>The covered components in signing order.</summary>
    public IReadOnlyList<ComponentIdentifier> Components { get; }

    /// <summary>The metadata parameters in serialisation order.</summary>
    public IReadOnlyList<KeyValuePair<string, object>> Parameters { get; }

    /// <summary>The <c>created</c> Unix time.</summary>
    public long? Created => Get("created") as long?;

    /// <summary>The <c>expires</c> Unix time.</summary>
    public long? Expires => Get("expires") as long?;

    /// <summary>The <c>keyid</c>.</summary>
    public string? KeyId => Get("keyid") as string;

    /// <summary>The <c>alg</c>.</summary>
    public string? Algorithm => Get("alg") as string;

    /// <summary>The <c>nonce</c>.</summary>
    public string? Nonce => Get("nonce") as string;

    /// <summary>The <c>tag</c>.</summary>
    public string? Tag => Get("tag") as string;

    /// <summary>The parameters Plaza signs with: the components, then <c>created</c>, <c>keyid</c>, <c>alg</c>.</summary>
    public static SignatureParameters Create(
        IEnumerable<ComponentIdentifier> components, DateTimeOffset created, string keyId, string algorithm) =>
        new(components, [new("created", created.ToUnixTimeSeconds()), new("keyid", keyId), new("alg", algorithm)]);

    /// <summary>The serialised inner list with parameters: <c>("@method" "@target-uri");created=…;keyid="…"</c>.</summary>
    public string Serialize() =>
        StructuredFields.SerializeInnerList(
            Components.Select(component => new StructuredInnerItem(component.Name, component.Parameters)), Parameters);

    /// <summary>
    /// Parses a <c>Signature-Input</c> field into its signatures by label; null when the field is
    /// not a valid dictionary of inner lists of strings.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, SignatureParameters>>? ParseSignatureInput(string fieldValue)
    {
        ArgumentNullException.ThrowIfNull(fieldValue);
        if (StructuredFields.ParseDictionary(fieldValue) is not { } members)
        {
            return null;
        }

        var signatures = new List<KeyValuePair<string, SignatureParameters>>();
        foreach (var (label, member) in members)
        {
            if (member.InnerList is not { } items || items.Any(item => item.Value is not string))
            {
                return null;
            }

            var components = items.Select(item => new ComponentIdentifier((string)item.Value, item.Parameters));
            signatures.Add(new(label, new SignatureParameters(components, member.Parameters)));
        }

        return signatures;
    }

    /// <inheritdoc />
    public override string ToString() => Serialize();

    private object? Get(string key) =>
        Parameters.FirstOrDefault(parameter => parameter.Key == key).Value;
}

namespace Plaza;

/// <summary>Marker for the UI text resources (Resources/Text.*.resx); English text is the key.</summary>
public sealed class Text;

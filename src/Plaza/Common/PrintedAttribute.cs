namespace Plaza.Common;

/// <summary>
/// Marks a page that is printed for the shop's customers (codes, posters, table tents): it speaks the shop's
/// language whatever the console's, unless the owner picks one with <c>?language=</c>. Read by the request
/// localization, before the page runs, so the layout and every string agree.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class PrintedAttribute : Attribute;

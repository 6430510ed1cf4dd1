using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding.Metadata;

namespace Plaza.Common;

/// <summary>
/// How console and storefront forms are read. Each page checks its own fields and says what is wrong in the
/// request's language; the framework's own checks would answer in English ("The Email field is required.") and,
/// for an emptied field, hand a page null where it declared text. So: no implicit "required" for non-nullable
/// text, an emptied field stays "" (not null), and the few messages model binding itself gives (a number that is
/// not one) are worded like the rest.
/// </summary>
public static class FormBinding
{
    public static void Configure(MvcOptions options)
    {
        options.SuppressImplicitRequiredAttributeForNonNullableReferenceTypes = true;
        options.ModelMetadataDetailsProviders.Add(new EmptyStaysEmpty());
        var messages = options.ModelBindingMessageProvider;
        messages.SetAttemptedValueIsInvalidAccessor((value, _) => Text.Say("'{0}' is not valid here.", value));
        messages.SetMissingBindRequiredValueAccessor(_ => Text.Say("A value is needed here."));
        messages.SetMissingKeyOrValueAccessor(() => Text.Say("A value is needed here."));
        messages.SetMissingRequestBodyRequiredValueAccessor(() => Text.Say("The form is empty."));
        messages.SetNonPropertyAttemptedValueIsInvalidAccessor(value => Text.Say("'{0}' is not valid here.", value));
        messages.SetNonPropertyUnknownValueIsInvalidAccessor(() => Text.Say("That value is not valid here."));
        messages.SetNonPropertyValueMustBeANumberAccessor(() => Text.Say("Give a number here."));
        messages.SetUnknownValueIsInvalidAccessor(_ => Text.Say("That value is not valid here."));
        messages.SetValueIsInvalidAccessor(value => Text.Say("'{0}' is not valid here.", value));
        messages.SetValueMustBeANumberAccessor(_ => Text.Say("Give a number here."));
        messages.SetValueMustNotBeNullAccessor(_ => Text.Say("A value is needed here."));
    }

    private sealed class EmptyStaysEmpty : IDisplayMetadataProvider
    {
        public void CreateDisplayMetadata(DisplayMetadataProviderContext context) =>
            context.DisplayMetadata.ConvertEmptyStringToNull = false;
    }
}

using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.ModelBinding.Metadata;

namespace Plaza.Common;

/// <summary>
/// How console and storefront forms are read. Each page checks its own fields and says what is wrong in the
/// request's language; the framework's own checks would answer in English ("The Email field is required.") and,
/// for an emptied field, hand a page null where it declared text. So: no implicit "required" for non-nullable
/// text, an emptied field stays "" (not null), and the few messages model binding itself gives (a number that is
/// not one) are worded like the rest. Numbers are read after NFKC (<see cref="Typed.Plain"/>), so a Chinese keyboard's
/// full-width digits and point count as typed.
/// </summary>
public static class FormBinding
{
    public static void Configure(MvcOptions options)
    {
        options.SuppressImplicitRequiredAttributeForNonNullableReferenceTypes = true;
        options.ModelMetadataDetailsProviders.Add(new EmptyStaysEmpty());
        options.ModelBinderProviders.Insert(0, new PlainNumbers());
        // No page posts jQuery-style keys (a[b]); their reader throws on a key with an unclosed bracket, a 500 for any
        // request that carries such a form to a page with a property bound on GET (found by the fuzzer, OPTIONS /s/…/checkout).
        options.ValueProviderFactories.RemoveType<Microsoft.AspNetCore.Mvc.ModelBinding.JQueryFormValueProviderFactory>();
        options.ValueProviderFactories.RemoveType<Microsoft.AspNetCore.Mvc.ModelBinding.JQueryQueryStringValueProviderFactory>();
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

    private sealed class PlainNumbers : IModelBinderProvider
    {
        public IModelBinder? GetBinder(ModelBinderProviderContext context)
        {
            var type = Nullable.GetUnderlyingType(context.Metadata.ModelType) ?? context.Metadata.ModelType;
            return type == typeof(int) || type == typeof(long) || type == typeof(double) || type == typeof(decimal)
                ? new PlainNumber(type, Nullable.GetUnderlyingType(context.Metadata.ModelType) is not null)
                : null;
        }
    }

    private sealed class PlainNumber(Type type, bool nullable) : IModelBinder
    {
        public Task BindModelAsync(ModelBindingContext binding)
        {
            var value = binding.ValueProvider.GetValue(binding.ModelName);
            if (value == ValueProviderResult.None)
            {
                return Task.CompletedTask;
            }
            binding.ModelState.SetModelValue(binding.ModelName, value);
            var text = Typed.Plain(value.FirstValue).Trim();
            var messages = binding.ModelMetadata.ModelBindingMessageProvider;
            if (text.Length == 0)
            {
                if (nullable)
                {
                    binding.Result = ModelBindingResult.Success(null);
                }
                else
                {
                    binding.ModelState.TryAddModelError(binding.ModelName, messages.ValueMustNotBeNullAccessor(text));
                }
                return Task.CompletedTask;
            }
            object? number = type == typeof(int) ? int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i : null
                : type == typeof(long) ? long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) ? l : null
                : type == typeof(double) ? double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) ? d : null
                : decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var m) ? m : null;
            if (number is null)
            {
                binding.ModelState.TryAddModelError(binding.ModelName, messages.AttemptedValueIsInvalidAccessor(value.FirstValue ?? "", binding.ModelMetadata.Name ?? ""));
                return Task.CompletedTask;
            }
            binding.Result = ModelBindingResult.Success(number);
            return Task.CompletedTask;
        }
    }

    private sealed class EmptyStaysEmpty : IDisplayMetadataProvider
    {
        public void CreateDisplayMetadata(DisplayMetadataProviderContext context) =>
            context.DisplayMetadata.ConvertEmptyStringToNull = false;
    }
}

using static ExperimentKit.Tests.Sweeps.OverrideParsingTests;

namespace ExperimentKit.Tests.Sweeps;

public class OverrideErrorTests
{
    private static SweepArgumentException TrainError(params string[] tokens)
        => Assert.Throws<SweepArgumentException>(() => Train(tokens));

    private static SweepArgumentException KindsError(params string[] tokens)
        => Assert.Throws<SweepArgumentException>(() => Kinds(tokens));

    private static void Contains(SweepArgumentException ex, params string[] parts)
    {
        foreach (var part in parts)
        {
            Assert.Contains(part, ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_exception_is_an_argument_exception()
        => Assert.IsAssignableFrom<ArgumentException>(TrainError("Nope=1"));

    [Fact]
    public void An_unknown_member_is_named_with_the_nearest_name_and_the_valid_paths()
    {
        var ex = TrainError("LearnngRate=0.1");

        Contains(ex, "'LearnngRate'", "Did you mean 'LearningRate'?", "Valid paths: LearningRate, Epochs, Model.Layers, Model.Optimizer.Name, Model.Optimizer.Beta, Model.Width, Model.Activation, Dataset, Workers, BatchSize, Augment.");
        Assert.Equal("LearnngRate", ex.MemberPath);
        Assert.DoesNotContain("Twice", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_nested_member_is_suggested_inside_its_group()
    {
        var ex = TrainError("Model.Layrs=2");

        Contains(ex, "'Model.Layrs'", "'Model' (OverrideModel)", "Did you mean 'Model.Layers'?", "Valid paths:");
    }

    [Fact]
    public void A_nested_member_named_without_its_group_is_suggested_with_it()
        => Contains(TrainError("Layers=2"), "Did you mean 'Model.Layers'?");

    [Fact]
    public void A_name_far_from_every_member_gets_no_suggestion_but_the_list()
    {
        var ex = TrainError("Zzzzzzzzzz=1");

        Assert.DoesNotContain("Did you mean", ex.Message, StringComparison.Ordinal);
        Contains(ex, "Valid paths: LearningRate");
    }

    [Fact]
    public void A_path_through_a_member_that_is_not_a_group_is_refused()
        => Contains(TrainError("Epochs.Count=1"), "'Epochs.Count'", "is int, not a parameter group");

    [Fact]
    public void A_computed_member_cannot_be_swept()
        => Contains(TrainError("Twice=1"), "Twice", "computed");

    [Fact]
    public void A_whole_group_cannot_be_set_and_the_message_says_to_set_its_fields()
    {
        var ex = TrainError("Model=2");

        Contains(ex, "'Model' is a parameter group", "OverrideModel", "Model.Layers=a,b", "Model.Optimizer.Name");
    }

    [Fact]
    public void A_token_without_equals_is_not_an_override()
        => Contains(TrainError("Epochs"), "'Epochs' is not an override", "Path=value[,value...]", "LearningRate=a,b");

    [Fact]
    public void A_token_without_a_path_is_refused()
        => Contains(TrainError("=4"), "no member path");

    [Theory]
    [InlineData("Epochs=")]
    [InlineData("Epochs=   ")]
    public void A_token_without_values_is_refused(string token)
        => Contains(TrainError(token), "gives no values for 'Epochs' (int)");

    [Fact]
    public void An_empty_value_in_a_list_is_refused()
        => Contains(TrainError("Epochs=1,,2"), "'Epochs' (int)", "a value is empty");

    [Fact]
    public void A_path_given_twice_is_refused_whatever_its_spelling()
    {
        Contains(TrainError("Epochs=1", "epochs=2"), "'Epochs' is given twice", "'Epochs=1'", "'epochs=2'");
        Contains(TrainError("BatchSize=1", "bs=2"), "'bs' is given twice");
    }

    [Theory]
    [InlineData("Epochs=abc", "\"abc\" is not an integer")]
    [InlineData("Epochs=1.5", "\"1.5\" is not an integer")]
    [InlineData("Epochs=1e3", "\"1e3\" is not an integer")]
    public void An_integer_member_refuses_other_text(string token, string problem)
        => Contains(TrainError(token), "'Epochs' (int)", problem);

    [Theory]
    [InlineData("Workers=256", "\"256\" is out of range for byte (0 to 255)")]
    [InlineData("Workers=-1", "\"-1\" is out of range for byte (0 to 255)")]
    public void An_integer_is_checked_against_the_range_of_its_csharp_type(string token, string problem)
        => Contains(TrainError(token), "'Workers' (byte)", problem);

    [Fact]
    public void Integer_ranges_of_every_width_are_checked()
    {
        Contains(KindsError("I8=128"), "'I8' (sbyte)", "-128 to 127");
        Contains(KindsError("U16=70000"), "'U16' (ushort)");
        Contains(KindsError("I32=2147483648"), "'I32' (int)");
        Contains(KindsError("U32=-1"), "'U32' (uint)");
        Contains(KindsError("I64=9223372036854775808"), "'I64' (long)");
        Contains(KindsError("U64=18446744073709551616"), "'U64' (ulong)");
        Contains(KindsError("MaybeInt=2147483648"), "'MaybeInt' (int?)", "out of range for int");
    }

    [Theory]
    [InlineData("LearningRate=1,2e", "\"2e\" is not a number")]
    [InlineData("LearningRate=0,1", null)]
    [InlineData("LearningRate=1e400", "\"1e400\" is out of range for double")]
    [InlineData("LearningRate=Infinity", "\"Infinity\" is not finite")]
    public void A_float_member_refuses_other_text(string token, string? problem)
    {
        if (problem is null)
        {
            Assert.Equal(["0", "1"], Values(Train(token), "LearningRate"));
            return;
        }

        Contains(TrainError(token), "'LearningRate' (double)", problem);
    }

    [Fact]
    public void Float_and_decimal_ranges_are_checked()
    {
        Contains(KindsError("F=1e39"), "'F' (float)", "\"1e39\" is out of range for float");
        Contains(KindsError("M=1e30"), "'M' (decimal)", "\"1e30\" is not a decimal number");
        Contains(KindsError("M=NaN"), "'M' (decimal)", "\"NaN\"");
    }

    [Fact]
    public void A_boolean_member_takes_only_true_or_false()
        => Contains(TrainError("Augment=yes"), "'Augment' (bool)", "\"yes\" is not true or false");

    [Fact]
    public void An_enum_member_lists_the_allowed_names_and_suggests_the_nearest()
    {
        var ex = TrainError("Model.Activation=gelo");

        Contains(ex, "'Model.Activation' (ExperimentKit.Tests.Sweeps.OverrideActivation)", "\"gelo\"", "did you mean 'Gelu'?", "Allowed: Relu, Tanh, Gelu (in any case), or an integer");
        Assert.Equal("Model.Activation", ex.MemberPath);
    }

    [Fact]
    public void An_enum_integer_beyond_every_underlying_type_is_refused()
        => Contains(TrainError("Model.Activation=18446744073709551616"), "'Model.Activation'", "out of range for any enum");

    [Fact]
    public void A_char_member_takes_one_character()
        => Contains(KindsError("C=ab"), "'C' (char)", "\"ab\" is not a single character");

    [Theory]
    [InlineData("G=not-a-guid", "'G' (System.Guid)", "a GUID")]
    [InlineData("Day=05/01/2024", "'Day' (System.DateOnly)", "yyyy-MM-dd")]
    [InlineData("When=yesterday", "'When' (System.DateTime)", "a date and time")]
    [InlineData("WhenOffset=soon", "'WhenOffset' (System.DateTimeOffset)", "with offset")]
    [InlineData("Time=25:99", "'Time' (System.TimeOnly)", "a time")]
    [InlineData("Span=forever", "'Span' (System.TimeSpan)", "a duration")]
    public void Text_kinds_name_the_expected_form(string token, string member, string expected)
        => Contains(KindsError(token), member, expected, "\"" + token[(token.IndexOf('=') + 1)..] + "\"");

    [Theory]
    [InlineData("Doubles={\"a\":1}", "'Doubles' (double[])", "is not a JSON array")]
    [InlineData("Doubles=1", "'Doubles' (double[])", "is not a JSON array")]
    [InlineData("Doubles=[1,,2]", "'Doubles' (double[])", "is not valid JSON")]
    [InlineData("Weights=[1]", "'Weights' (System.Collections.Generic.Dictionary<string, double>)", "is not a JSON object")]
    [InlineData("Tags={}", "'Tags' (System.Collections.Generic.HashSet<int>)", "is not a JSON array")]
    public void Collection_members_take_json_of_the_right_shape(string token, string member, string problem)
        => Contains(KindsError(token), member, problem);

    [Theory]
    [InlineData("Doubles=[1,2", "never closed")]
    [InlineData("S=a)b", "closes nothing")]
    [InlineData("S=[a}", "closes nothing")]
    [InlineData("S=\"abc", "never closed")]
    [InlineData("S=\"abc\"def", "one double-quoted string")]
    [InlineData("S=\"bad \\q escape\"", "one double-quoted string")]
    public void Unbalanced_or_malformed_values_are_refused(string token, string problem)
        => Contains(KindsError(token), "Cannot read the values", problem);

    [Theory]
    [InlineData("Epochs=range(1)", "write range(start, stop) or range(start, stop, step)")]
    [InlineData("Epochs=range(1,2,3,4)", "write range(start, stop)")]
    [InlineData("Epochs=range(0,10,0)", "the step is 0")]
    [InlineData("Epochs=range(5,1)", "the range is empty")]
    [InlineData("Epochs=range(1,5,-1)", "with a negative step its stop must be below its start")]
    [InlineData("Epochs=range(a,5)", "'a' is not a finite number")]
    [InlineData("Epochs=linspace(0,1)", "write linspace(start, stop, count)")]
    [InlineData("Epochs=linspace(0,1,0)", "the count '0' must be a whole number of points, at least 1")]
    [InlineData("Epochs=logspace(0,1,2.5)", "the count '2.5' must be a whole number")]
    public void Generator_mistakes_are_explained(string token, string problem)
        => Contains(TrainError(token), "'Epochs' (int)", problem);

    [Fact]
    public void Generated_values_are_checked_against_the_member_naming_the_generator()
    {
        Contains(TrainError("Epochs=range(0,1,0.5)"), "'Epochs' (int)", "\"0.5\" (from range(0,1,0.5)) is not an integer");
        Contains(TrainError("Epochs=linspace(0,10,4)"), "(from linspace(0,10,4)) is not an integer");
        Contains(TrainError("Workers=logspace(0,3,4)"), "'Workers' (byte)", "\"1000\" (from logspace(0,3,4)) is out of range for byte");
    }

    [Theory]
    [InlineData("Dataset=range(1,3)", "'Dataset' (string)", "range(...)")]
    [InlineData("Dataset=linspace(a,b)", "'Dataset' (string)", "linspace(...)")]
    [InlineData("Augment=logspace(0,1,2)", "'Augment' (bool)", "logspace(...)")]
    public void A_generator_for_a_non_numeric_member_says_to_quote_it(string token, string member, string generator)
        => Contains(TrainError(token), member, generator + " makes numbers", "double quotes");

    [Fact]
    public void An_axis_of_more_than_a_million_values_is_refused_before_it_is_built()
    {
        Contains(TrainError("Epochs=range(0,2000000)"), "'Epochs' (int)", "more than 1,000,000 values");
        Contains(TrainError("LearningRate=linspace(0,1,1000001)"), "more than 1,000,000 values");
    }

    [Fact]
    public void A_null_token_is_refused()
        => Assert.Throws<SweepArgumentException>(() => SweepOverrides.Parse(OverridesTrain.Descriptor, [null!]));

    [Fact]
    public void Null_arguments_are_refused()
    {
        Assert.Throws<ArgumentNullException>(() => SweepOverrides.Parse(null!, []));
        Assert.Throws<ArgumentNullException>(() => SweepOverrides.Parse(OverridesTrain.Descriptor, null!));
        Assert.Throws<ArgumentNullException>(() => SweepOverrides.FromConfiguration(null!, []));
        Assert.Throws<ArgumentNullException>(() => SweepOverrides.FromConfiguration(OverridesTrain.Descriptor, null!));
    }
}
